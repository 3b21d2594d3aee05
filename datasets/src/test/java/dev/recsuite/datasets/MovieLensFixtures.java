package dev.recsuite.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Small data sets in the MovieLens layouts, invented for the loader tests (made-up titles and
 * ratings; no MovieLens data: its licence forbids redistribution). Each is written to a directory
 * in the encoding the real files use (ML-100K {@code u.item} and ML-1M {@code movies.dat} in
 * ISO-8859-1, ML-10M {@code movies.dat} in UTF-8), since the loaders detect the encoding.
 */
final class MovieLensFixtures {

  /** One file of a fixture: its name, text and encoding. */
  private record FixtureFile(String name, String text, Charset charset) {}

  private static final Map<String, List<FixtureFile>> FIXTURES =
      Map.of(
          "movielens-100k",
          List.of(
              new FixtureFile(
                  "u.data",
                  "1\t1\t4\t900000100\n"
                      + "1\t2\t5\t900000200\n"
                      + "2\t1\t3\t900000300\n"
                      + "2\t3\t2\t900000400\n"
                      + "3\t5\t5\t900000500\n"
                      + "4\t6\t1\t900000600\n"
                      + "1\t1\t4\t900000100\n",
                  StandardCharsets.US_ASCII),
              new FixtureFile(
                  "u.genre",
                  "unknown|0\n"
                      + "Action|1\n"
                      + "Comedy|2\n"
                      + "Drama|3\n"
                      + "Horror|4\n"
                      + "Sci-Fi|5\n"
                      + "\n",
                  StandardCharsets.US_ASCII),
              new FixtureFile(
                  "u.item",
                  "1|Harbor Lights (1991)|01-Jan-1991||http://example.org/films/1|0|0|1|1|0|0\n"
                      + "2|Rocket Garden (2003)|14-Mar-2003||http://example.org/films/2|0|1|0|0|0|1\n"
                      + "3|Cellar Door|05-Oct-1987|||0|0|0|0|1|0\n"
                      + "4|Mystery Reel||||1|0|0|0|0|0\n"
                      + "5|Caf\u00e9 Noir (1962)|01-Jan-1962||http://example.org/films/5|0|0|0|1|0|0\n",
                  StandardCharsets.ISO_8859_1),
              new FixtureFile(
                  "u.user",
                  "1|29|F|engineer|02139\n"
                      + "2|41|M|librarian|60601\n"
                      + "3|35|F|writer|10001\n",
                  StandardCharsets.US_ASCII)),
          "movielens-dat-1m",
          List.of(
              new FixtureFile(
                  "movies.dat",
                  "1::Harbor Lights (1991)::Drama|Romance\n"
                      + "2::Rocket Garden (2003)::Action|Sci-Fi\n"
                      + "3::Caf\u00e9 Noir (1962)::Film-Noir\n",
                  StandardCharsets.ISO_8859_1),
              new FixtureFile(
                  "ratings.dat",
                  "1::1::5::978300760\n"
                      + "1::3::4::978300761\n"
                      + "2::2::3::978300762\n"
                      + "2::1::2::978300763\n",
                  StandardCharsets.US_ASCII),
              new FixtureFile(
                  "users.dat",
                  "1::F::25::7::02139\n"
                      + "2::M::35::12::60601\n",
                  StandardCharsets.US_ASCII)),
          "movielens-dat-10m",
          List.of(
              new FixtureFile(
                  "movies.dat",
                  "10::Jardin d'\u00c9t\u00e9 (2001)::Comedy|Romance\n"
                      + "20::Signal Lost (1999)::(no genres listed)\n",
                  StandardCharsets.UTF_8),
              new FixtureFile(
                  "ratings.dat",
                  "5::10::4.5::1230000000\n"
                      + "6::20::0.5::1230000050\n"
                      + "7::10::3::1230000060\n",
                  StandardCharsets.US_ASCII),
              new FixtureFile(
                  "tags.dat",
                  "5::10::Whimsical::1230000000\n"
                      + "6::10::whimsical ::1230000100\n"
                      + "6::10::Paris::1230000200\n"
                      + "7::20::slow::1230000300\n"
                      + "7::99::orphan tag::1230000400\n",
                  StandardCharsets.US_ASCII)),
          "movielens-csv",
          List.of(
              new FixtureFile(
                  "movies.csv",
                  "movieId,title,genres\n"
                      + "1,\"Garden, Interrupted (2004)\",Drama\n"
                      + "2,\"The \"\"Quiet\"\" Ones (2011)\",Horror|Thriller\n"
                      + "3,Untitled Project,(no genres listed)\n"
                      + "4,Tidal Archive (2004-2009),Documentary\n",
                  StandardCharsets.US_ASCII),
              new FixtureFile(
                  "ratings.csv",
                  "userId,movieId,rating,timestamp\n"
                      + "1,1,4.0,1400000000\n"
                      + "1,2,3.5,1400000300\n"
                      + "2,2,5.0,1400000400\n"
                      + "2,5,1.0,1400000500\n",
                  StandardCharsets.US_ASCII),
              new FixtureFile(
                  "tags.csv",
                  "userId,movieId,tag,timestamp\n"
                      + "1,2,\"creepy, slow\",1400000000\n"
                      + "2,2,\"Creepy, Slow\",1400000100\n"
                      + "2,1,gardening,1400000200\n",
                  StandardCharsets.US_ASCII)));

  private MovieLensFixtures() {}

  /** Whether {@code name} is one of these fixtures. */
  static boolean has(String name) {
    return FIXTURES.containsKey(name);
  }

  /** Writes the files of fixture {@code name} into {@code target} and returns it. */
  static Path writeTo(String name, Path target) {
    try {
      for (FixtureFile file : FIXTURES.get(name)) {
        Files.write(target.resolve(file.name()), file.text().getBytes(file.charset()));
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
