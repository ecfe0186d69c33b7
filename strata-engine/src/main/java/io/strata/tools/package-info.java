/**
 * Tools over a store's files, for programs outside the engine (the {@code strata} command, the
 * stress test): verify a store ({@link io.strata.tools.StoreVerifier}), dump a table
 * ({@link io.strata.tools.TableDump}), list a store's files ({@link io.strata.tools.StoreFiles}),
 * tell what a crash left ({@link io.strata.tools.CrashRemains}) and how the tables lie on the
 * levels ({@link io.strata.tools.StoreLayout}), and print keys and errors ({@link
 * io.strata.tools.Text}).
 *
 * <p>This package is the public face of the engine's internals ({@code io.strata.version},
 * {@code io.strata.sstable}, {@code io.strata.wal}, {@code io.strata.db}, ...) for those
 * programs, so that the internals can change without them, as LevelDB keeps its dump and verify
 * code in the library and its tools thin. Everything here reads files read-only and takes no
 * store lock, unless it is given an open {@link io.strata.StrataDb}.
 */
package io.strata.tools;
