// Writes one gRPC-framed RecommendRequest: 0x00 (not compressed), the message length as four
// big-endian bytes, the serialized message. h2load sends it as the body of every request.
//   java -cp 'cli/target/lib/*' scripts/RecommendBody.java --user 1 -k 10 --out body.bin
// (java runs a single source file directly; the class path gives it the generated proto classes.)

import dev.recsuite.gateway.v1.RecommendRequest;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

public final class RecommendBody {

  private RecommendBody() {}

  public static void main(String[] args) throws Exception {
    String user = "1";
    int k = 10;
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--user" -> user = require(args[i], value);
        case "-k" -> k = Integer.parseInt(require(args[i], value));
        case "--out" -> out = Path.of(require(args[i], value));
        default -> throw new IllegalArgumentException(
            "unknown argument: " + args[i] + " (expected: --user ID -k K --out FILE)");
      }
      i++;
    }
    if (out == null) {
      throw new IllegalArgumentException("--out: missing (expected: the body file to write)");
    }
    byte[] message = RecommendRequest.newBuilder().setUserId(user).setK(k).build().toByteArray();
    ByteBuffer frame = ByteBuffer.allocate(5 + message.length);
    frame.put((byte) 0).putInt(message.length).put(message);
    Files.write(out, frame.array());
  }

  private static String require(String option, String value) {
    if (value == null) {
      throw new IllegalArgumentException(option + ": missing value");
    }
    return value;
  }
}
