package dev.recsuite.trainer;

import dev.recsuite.bundle.v1.BundleManifest;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A published bundle.
 *
 * @param version the bundle version
 * @param directory where it was published
 * @param manifest its manifest, with parameters and validation metrics
 * @param elapsed how long training took
 */
public record TrainingResult(String version, Path directory, BundleManifest manifest, Duration elapsed) {}
