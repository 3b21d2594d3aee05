package dev.recsuite.grpc.internal;

import dev.recsuite.grpc.Managed;
import dev.recsuite.grpc.security.ClientTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code --client-tokens} file that follows changes: read and checked at construction (a
 * malformed file fails startup naming the line), then every reload interval once started. A
 * changed file is used only when it parses; otherwise the tokens in use stay and the problem is
 * logged at WARN, so a bad edit never locks every client out.
 */
public final class ReloadingClientTokens implements Managed {

  /** How often the file is checked for changes, as the TLS files are by default. */
  public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(ReloadingClientTokens.class);

  private final String name;
  private final Path file;
  private final Duration reloadInterval;
  private final Object lock = new Object();
  private volatile ClientTokens tokens;
  private byte[] loaded;
  private ScheduledExecutorService scheduler;

  /**
   * Reads the file.
   *
   * @param name the server's name, for logs and the reload thread
   * @throws IllegalArgumentException naming the file (and line) that is missing or malformed
   */
  public ReloadingClientTokens(String name, Path file, Duration reloadInterval) {
    this.name = Objects.requireNonNull(name, "name");
    this.file = Objects.requireNonNull(file, "file");
    this.reloadInterval = Objects.requireNonNull(reloadInterval, "reloadInterval");
    byte[] bytes = read();
    this.tokens = ClientTokens.parse(file, new String(bytes, StandardCharsets.UTF_8));
    this.loaded = bytes;
    log.info("{}: {} bearer tokens for {} from {}", name, tokens.size(), tokens.clients(), file);
  }

  /** The tokens in use. */
  public ClientTokens current() {
    return tokens;
  }

  /**
   * Reads the file again and uses it if it changed and parses.
   *
   * @return whether new tokens are now in use
   */
  public boolean reload() {
    synchronized (lock) {
      try {
        byte[] bytes = read();
        if (Arrays.equals(bytes, loaded)) {
          return false;
        }
        ClientTokens fresh = ClientTokens.parse(file, new String(bytes, StandardCharsets.UTF_8));
        tokens = fresh;
        loaded = bytes;
      } catch (IllegalArgumentException e) {
        log.warn("{}: keeping the current client tokens: {}", name, e.getMessage());
        return false;
      }
    }
    log.info("{}: reloaded {} bearer tokens for {} from {}", name, tokens.size(), tokens.clients(), file);
    return true;
  }

  /** Starts checking the file every reload interval (nothing when it is zero). */
  @Override
  public void start() {
    synchronized (lock) {
      if (reloadInterval.isZero() || scheduler != null) {
        return;
      }
      scheduler =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().name(name + "-tokens-reload").daemon().factory());
      long millis = Math.max(1, reloadInterval.toMillis());
      scheduler.scheduleWithFixedDelay(this::reloadQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }
  }

  /** Stops checking the file. */
  @Override
  public void stop() {
    ScheduledExecutorService running;
    synchronized (lock) {
      running = scheduler;
      scheduler = null;
    }
    if (running != null) {
      running.shutdownNow();
    }
  }

  private void reloadQuietly() {
    try {
      reload();
    } catch (RuntimeException e) {
      log.warn("{}: client token reload failed", name, e);
    }
  }

  private byte[] read() {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("client-tokens " + file + ": no such file");
    } catch (IOException e) {
      throw new IllegalArgumentException("client-tokens " + file + ": cannot read: " + e.getMessage(), e);
    }
  }
}
