/**
 * Datasets in memory and the readers that build them from files: MNIST IDX (gzip or raw), the
 * CIFAR-10 binary format, and the resolution of the data root (DESIGN.md: --data, then
 * ASCRIBE_DATA_DIR, then the project's ../shared/data, then its data/ folder).
 */
package dev.ascribe.core.data;
