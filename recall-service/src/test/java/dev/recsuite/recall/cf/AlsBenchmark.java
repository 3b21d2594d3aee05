package dev.recsuite.recall.cf;

import java.util.Locale;

/**
 * Times {@link ImplicitAls#train} on a planted data set; a main program, not a test (the build does
 * not run it). Arguments, all optional: users items eventsPerUser factors iterations threads.
 * Defaults: 10,000 × 10,000, 100 events per user (1,000,000 interactions), 64 factors, 15
 * iterations, 2 threads.
 */
public final class AlsBenchmark {

  private AlsBenchmark() {}

  public static void main(String[] args) {
    int users = arg(args, 0, 10_000);
    int items = arg(args, 1, 10_000);
    int eventsPerUser = arg(args, 2, 100);
    int factors = arg(args, 3, 64);
    int iterations = arg(args, 4, 15);
    int threads = arg(args, 5, 2);
    PlantedInteractions data =
        PlantedInteractions.generate(users, items, 20, eventsPerUser, 0.2, 7L);
    AlsParameters parameters =
        AlsParameters.defaults()
            .withFactors(factors)
            .withIterations(iterations)
            .withThreads(threads)
            .withSeed(1L);
    System.out.printf(
        Locale.ROOT,
        "%,d users, %,d items, %,d interactions; %s%n",
        users, items, data.interactions().size(), parameters);
    // First run: cold JVM, as in the trainer CLI, with the per-iteration loss.
    long start = System.nanoTime();
    FactorModel model =
        ImplicitAls.train(
            data.interactions(),
            items,
            parameters,
            (iteration, elapsed, loss) ->
                System.out.printf(
                    Locale.ROOT,
                    "  iteration %2d  %6.2f s  loss %.6e%n",
                    iteration, elapsed.toNanos() / 1e9, loss));
    double cold = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "trained %s in %.2f s (cold JVM)%n", model, cold);

    // Second run: JIT warmed up, no loss computed.
    start = System.nanoTime();
    FactorModel again = ImplicitAls.train(data.interactions(), items, parameters);
    double warm = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "again in %.2f s (warm JVM, no loss); identical factors: %s%n",
        warm, again.equals(model));
  }

  private static int arg(String[] args, int index, int fallback) {
    return args.length > index ? Integer.parseInt(args[index]) : fallback;
  }
}
