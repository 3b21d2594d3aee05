package dev.recsuite.grpc.internal;

import com.google.inject.ConfigurationException;
import com.google.inject.CreationException;
import com.google.inject.ProvisionException;
import com.google.inject.spi.Message;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Collection;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns a startup failure into the one line a person needs: the innermost exception that says
 * something, without wrappers (Guice's provision errors, reflection, futures) or stack traces.
 */
public final class StartupFailures {

  private StartupFailures() {}

  /** Returns a one-line description of why the service could not start. */
  public static String describe(Throwable failure) {
    Throwable t = unwrap(failure);
    String message =
        switch (t) {
          case NoSuchFileException e -> "no such file or directory: " + e.getFile();
          case AccessDeniedException e -> "permission denied: " + e.getFile();
          case CreationException e -> firstGuiceMessage(e.getErrorMessages());
          case ProvisionException e -> firstGuiceMessage(e.getErrorMessages());
          case ConfigurationException e -> firstGuiceMessage(e.getErrorMessages());
          default -> t.getMessage();
        };
    if (message == null || message.isBlank()) {
      message = t.getClass().getSimpleName();
    }
    return firstLine(message);
  }

  /** Peels off wrappers that add nothing a person could act on. */
  static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    for (int depth = 0; depth < 20; depth++) {
      Throwable cause = t.getCause();
      if (cause == null || cause == t) {
        return t;
      }
      boolean wrapper =
          t instanceof CreationException
              || t instanceof ProvisionException
              || t instanceof ConfigurationException
              || t instanceof InvocationTargetException
              || t instanceof UndeclaredThrowableException
              || t instanceof ExecutionException
              || t instanceof CompletionException
              // new RuntimeException(cause) copies the cause's toString() as its message.
              || cause.toString().equals(t.getMessage());
      if (!wrapper) {
        return t;
      }
      t = cause;
    }
    return t;
  }

  private static String firstGuiceMessage(Collection<Message> messages) {
    return messages.isEmpty() ? null : messages.iterator().next().getMessage();
  }

  private static String firstLine(String message) {
    String line = message.strip();
    int end = line.indexOf('\n');
    return (end < 0 ? line : line.substring(0, end)).strip();
  }
}
