/**
 * Datasets in memory and the readers that build them from files.
 *
 * <ul>
 *   <li>{@link dev.ascribe.core.data.Dataset}: an immutable labelled dataset (ids, row-major
 *       features, labels); ids are the 0-based record index in the source files.
 *   <li>{@link dev.ascribe.core.data.Mnist} on top of {@link dev.ascribe.core.data.IdxFile}: the
 *       MNIST IDX files, gzip or raw (detected from the content, not the name).
 *   <li>{@link dev.ascribe.core.data.Cifar10}: the CIFAR-10 binary record format, and the
 *       two-class (CIFAR-2) restriction.
 *   <li>{@link dev.ascribe.core.data.DataRoot}: where the data lives (DESIGN.md: --data, then
 *       ASCRIBE_DATA_DIR, then the project's ../shared/data, then its data/ folder), resolved
 *       against the {@link dev.ascribe.core.data.ProjectRoot}, never the working directory.
 * </ul>
 *
 * <p>Readers check files completely (magic numbers, sizes, truncation, trailing bytes, label
 * ranges) and report problems as {@link dev.ascribe.core.data.MalformedDataException}, whose
 * message names the file, what was found and what was expected. Pixels are scaled to [0,1] as
 * byte/255 with no further normalization.
 */
package dev.ascribe.core.data;
