package dev.recsuite.core.bundle;

import dev.recsuite.bundle.v1.CatalogItem;
import dev.recsuite.bundle.v1.DirectoryUser;
import dev.recsuite.bundle.v1.InteractionLog;
import dev.recsuite.bundle.v1.ItemCatalog;
import dev.recsuite.bundle.v1.UserDirectory;
import dev.recsuite.core.data.DataSourceInfo;
import dev.recsuite.core.data.Dataset;
import dev.recsuite.core.data.Interactions;
import dev.recsuite.core.data.Item;
import dev.recsuite.core.data.User;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Converts the data-set tables of a bundle (catalogue, users, interactions) to and from protobuf. */
public final class BundleTables {

  private BundleTables() {}

  /** Writes the catalogue, users, training interactions and held-out interactions. */
  public static void writeData(BundleWriter writer, Dataset train, Interactions holdout)
      throws IOException {
    writer.writeMessage(BundleFiles.CATALOG, toCatalog(train.items()));
    writer.writeMessage(BundleFiles.USERS, toDirectory(train.users()));
    writer.writeMessage(BundleFiles.INTERACTIONS, toLog(train.interactions()));
    writer.writeMessage(BundleFiles.HOLDOUT, toLog(holdout));
  }

  /**
   * Reads the catalogue, users and training interactions of {@code bundle} as a data set.
   *
   * @throws InvalidBundleException if a table is missing or inconsistent
   */
  public static Dataset readTrainingData(Bundle bundle) {
    List<Item> items = fromCatalog(bundle.read(BundleFiles.CATALOG, ItemCatalog.parser()));
    List<User> users = fromDirectory(bundle.read(BundleFiles.USERS, UserDirectory.parser()));
    Interactions train =
        fromLog(bundle, BundleFiles.INTERACTIONS, users.size(), items.size());
    DataSourceInfo source =
        new DataSourceInfo(
            bundle.manifest().getDataSource().getFormat(),
            bundle.manifest().getDataSource().getLocation(),
            bundle.manifest().getDataSource().getDescription());
    return Dataset.of(source, items, users, train);
  }

  /**
   * Reads the held-out interactions of {@code bundle}.
   *
   * @throws InvalidBundleException if the table is missing or inconsistent
   */
  public static Interactions readHoldout(Bundle bundle, int userCount, int itemCount) {
    return fromLog(bundle, BundleFiles.HOLDOUT, userCount, itemCount);
  }

  public static ItemCatalog toCatalog(List<Item> items) {
    ItemCatalog.Builder catalog = ItemCatalog.newBuilder();
    for (Item item : items) {
      catalog.addItems(
          CatalogItem.newBuilder()
              .setId(item.id())
              .setTitle(item.title())
              .addAllGenres(item.genres())
              .setYear(item.year())
              .addAllTags(item.tags()));
    }
    return catalog.build();
  }

  public static List<Item> fromCatalog(ItemCatalog catalog) {
    List<Item> items = new ArrayList<>(catalog.getItemsCount());
    for (CatalogItem item : catalog.getItemsList()) {
      items.add(new Item(item.getId(), item.getTitle(), item.getGenresList(), item.getYear(), item.getTagsList()));
    }
    return items;
  }

  public static UserDirectory toDirectory(List<User> users) {
    UserDirectory.Builder directory = UserDirectory.newBuilder();
    for (User user : users) {
      directory.addUsers(DirectoryUser.newBuilder().setId(user.id()).putAllAttributes(user.attributes()));
    }
    return directory.build();
  }

  public static List<User> fromDirectory(UserDirectory directory) {
    List<User> users = new ArrayList<>(directory.getUsersCount());
    for (DirectoryUser user : directory.getUsersList()) {
      users.add(new User(user.getId(), user.getAttributesMap()));
    }
    return users;
  }

  public static InteractionLog toLog(Interactions interactions) {
    InteractionLog.Builder log = InteractionLog.newBuilder();
    for (int i = 0; i < interactions.size(); i++) {
      log.addUsers(interactions.user(i))
          .addItems(interactions.item(i))
          .addRatings(interactions.rating(i))
          .addTimestamps(interactions.timestamp(i));
    }
    return log.build();
  }

  private static Interactions fromLog(Bundle bundle, String file, int userCount, int itemCount) {
    InteractionLog log = bundle.read(file, InteractionLog.parser());
    int n = log.getUsersCount();
    if (log.getItemsCount() != n || log.getRatingsCount() != n || log.getTimestampsCount() != n) {
      throw new InvalidBundleException(
          "bundle " + bundle.directory() + ": " + file + " has columns of different lengths");
    }
    int[] users = new int[n];
    int[] items = new int[n];
    float[] ratings = new float[n];
    long[] timestamps = new long[n];
    for (int i = 0; i < n; i++) {
      users[i] = log.getUsers(i);
      items[i] = log.getItems(i);
      ratings[i] = log.getRatings(i);
      timestamps[i] = log.getTimestamps(i);
      if (users[i] < 0 || users[i] >= userCount || items[i] < 0 || items[i] >= itemCount) {
        throw new InvalidBundleException(
            "bundle %s: %s row %d names user %d / item %d (expected: < %d users, < %d items)"
                .formatted(bundle.directory(), file, i, users[i], items[i], userCount, itemCount));
      }
    }
    return Interactions.of(userCount, users, items, ratings, timestamps);
  }
}
