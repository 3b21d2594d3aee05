/**
 * Seeded fuzz tests: hostile requests against every RPC of the four services ({@link
 * dev.recsuite.it.fuzz.ServiceFuzzTest}) and corrupt bundles against the bundle loader and the
 * tiers' model loaders ({@link dev.recsuite.it.fuzz.BundleFuzzTest}).
 *
 * <p>CI runs a short, fixed-seed run (800 requests per RPC, 200 corrupt bundles; under a minute
 * on two cores). A long run, e.g. before a release or after touching validation or a loader:
 *
 * <pre>{@code
 * ./mvnw -B -ntp verify -pl integration-tests -Dtest='ServiceFuzzTest,BundleFuzzTest' \
 *     -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dfuzz.iterations=200000 -Dfuzz.bundle.iterations=5000 -Dfuzz.seed=$RANDOM
 * }</pre>
 *
 * <p>Properties: {@code fuzz.iterations} (requests per RPC, default 800), {@code
 * fuzz.bundle.iterations} (corrupt bundles, default 200), {@code fuzz.seed} (default 20261130;
 * a failure names the worker seed and iteration that reproduce it).
 *
 * <p>Jazzer was not used: the seeded generator needs no agent or native library, runs under
 * JUnit 6 offline, and reproduces a run from one seed.
 */
package dev.recsuite.it.fuzz;
