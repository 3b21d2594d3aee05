/**
 * Deterministic synthetic data sets with planted structure (genre tastes, popularity long tail,
 * drift, item quality): {@link dev.recsuite.datasets.synthetic.SyntheticData} generates what a
 * {@link dev.recsuite.datasets.synthetic.SyntheticSpec} describes.
 */
package dev.recsuite.datasets.synthetic;
