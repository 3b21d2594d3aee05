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
  private final Object lock = new Object();
  private volatile ClientTokens tokens;
  private byte[] loaded;
  private final ReloadSchedule schedule;

  /**
   * Reads the file.
   *
   * @param name the server's name, for logs and the reload thread
   * @throws IllegalArgumentException naming the file (and line) that is missing or malformed
   */
  public ReloadingClientTokens(String name, Path file, Duration reloadInterval) {
    this.name = Objects.requireNonNull(name, "name");
    this.file = Objects.requireNonNull(file, "file");
    this.schedule =
        new ReloadSchedule(
            name + "-tokens-reload", Objects.requireNonNull(reloadInterval, "reloadInterval"), this::reload);
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

  /** Starts checking every reload interval (nothing when it is zero). */
  @Override
  public void start() {
    schedule.start();
  }

  /** Stops checking. */
  @Override
  public void stop() {
    schedule.stop();
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
