package dev.recsuite.datasets.internal;

import dev.recsuite.core.data.DataSourceInfo;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.DatasetBuilder;
import dev.recsuite.core.data.Item;
import dev.recsuite.core.data.User;
import dev.recsuite.datasets.InvalidDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The generic CSV layout (see the module README): {@code items.csv} (optional; item_id, title,
 * genres, year, tags), {@code users.csv} (optional; user_id and attribute columns) and {@code
 * interactions.csv} (user_id, item_id, optional rating and timestamp).
 */
public final class GenericCsvLoader implements DatasetLoader {

  static final String USER_ID = "user_id";
  static final String ITEM_ID = "item_id";

  @Override
  public Dataset load(Path dir) throws IOException {
    DatasetBuilder builder = new DatasetBuilder();
    Path items = dir.resolve("items.csv");
    if (Files.isRegularFile(items)) {
      readItems(items, builder);
    }
    Path users = dir.resolve("users.csv");
    if (Files.isRegularFile(users)) {
      readUsers(users, builder);
    }
    readInteractions(dir.resolve("interactions.csv"), builder);
    return builder.build(
        new DataSourceInfo("generic-csv", dir.toString(), "generic CSV interactions"));
  }

  private static void readItems(Path file, DatasetBuilder builder) throws IOException {
    Set<String> seen = new HashSet<>();
    ReadProgress progress = new ReadProgress(file);
    try (CsvTable table = CsvTable.open(file)) {
      int id = table.requireColumn(ITEM_ID);
      int title = table.column("title");
      int genres = table.column("genres");
      int year = table.column("year");
      int tags = table.column("tags");
      table.warnAboutUnknownColumns(Set.of(ITEM_ID, "title", "genres", "year", "tags"));
      String[] row;
      while ((row = table.nextRecord()) != null) {
        long line = table.line();
        String itemId = Fields.id(file, line, ITEM_ID, row[id]);
        if (!seen.add(itemId)) {
          throw new InvalidDataException(
              file, line, "item_id '%s' appears twice".formatted(itemId));
        }
        builder.addItem(
            new Item(
                itemId,
                title < 0 ? null : row[title].strip(),
                genres < 0 ? List.of() : Fields.multiValued(row[genres]),
                year < 0 ? 0 : year(file, line, row[year]),
                tags < 0 ? List.of() : Fields.multiValued(row[tags])));
        progress.row();
      }
    }
    progress.done();
  }

  private static int year(Path file, long line, String raw) throws InvalidDataException {
    if (raw.isBlank()) {
      return 0;
    }
    int year = Fields.integer(file, line, "year", raw);
    if (year < 0 || year > 9999) {
      throw new InvalidDataException(
          file, line, "year %d out of range (expected: 0 to 9999)".formatted(year));
    }
    return year;
  }

  private static void readUsers(Path file, DatasetBuilder builder) throws IOException {
    Set<String> seen = new HashSet<>();
    ReadProgress progress = new ReadProgress(file);
    try (CsvTable table = CsvTable.open(file)) {
      int id = table.requireColumn(USER_ID);
      List<String> header = table.header();
      String[] row;
      while ((row = table.nextRecord()) != null) {
        long line = table.line();
        String userId = Fields.id(file, line, USER_ID, row[id]);
        if (!seen.add(userId)) {
          throw new InvalidDataException(
              file, line, "user_id '%s' appears twice".formatted(userId));
        }
        Map<String, String> attributes = new HashMap<>();
        for (int column = 0; column < row.length; column++) {
          String value = row[column].strip();
          if (column != id && !value.isEmpty()) {
            attributes.put(header.get(column), value);
          }
        }
        builder.addUser(new User(userId, attributes));
        progress.row();
      }
    }
    progress.done();
  }

  private static void readInteractions(Path file, DatasetBuilder builder) throws IOException {
    ReadProgress progress = new ReadProgress(file);
    try (CsvTable table = CsvTable.open(file)) {
      int user = table.requireColumn(USER_ID);
      int item = table.requireColumn(ITEM_ID);
      int rating = table.column("rating");
      int timestamp = table.column("timestamp");
      table.warnAboutUnknownColumns(Set.of(USER_ID, ITEM_ID, "rating", "timestamp"));
      long row = 0;
      String[] fields;
      while ((fields = table.nextRecord()) != null) {
        long line = table.line();
        builder.addInteraction(
            Fields.id(file, line, USER_ID, fields[user]),
            Fields.id(file, line, ITEM_ID, fields[item]),
            rating < 0 || fields[rating].isBlank()
                ? 0f
                : Fields.finite(file, line, "rating", fields[rating]),
            // Without timestamps the row position keeps each user's events in file order.
            timestamp < 0 ? row : timestamp(file, line, fields[timestamp]));
        row++;
        progress.row();
      }
    }
    progress.done();
  }

  /** Epoch seconds, an ISO-8601 date-time with offset, or an ISO date (midnight UTC). */
  static long timestamp(Path file, long line, String raw) throws InvalidDataException {
    String value = raw.strip();
    if (value.isEmpty()) {
      throw new InvalidDataException(file, line, "timestamp is blank");
    }
    if (looksLikeInteger(value)) {
      return Fields.epochSeconds(file, line, value);
    }
    try {
      if (value.length() == 10) {
        return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
      }
      return OffsetDateTime.parse(value).toEpochSecond();
    } catch (DateTimeParseException e) {
      throw new InvalidDataException(
          file,
          line,
          ("timestamp '%s' is neither epoch seconds, an ISO-8601 date-time with offset"
                  + " (2024-03-01T12:00:00Z) nor an ISO date (2024-03-01)")
              .formatted(raw));
    }
  }

  private static boolean looksLikeInteger(String value) {
    int start = value.charAt(0) == '-' || value.charAt(0) == '+' ? 1 : 0;
    if (start == value.length()) {
      return false;
    }
    for (int i = start; i < value.length(); i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
