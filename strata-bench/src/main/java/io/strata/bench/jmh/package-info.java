/**
 * JMH microbenchmarks of the hot paths: memtable insert and lookup, a table's point lookup (index
 * and data block seek) and bloom probe, internal-key comparison, WAL appends with group commit,
 * RESP parsing and encoding. Run with {@code ./strata jmh} (JMH's own options follow it); each
 * benchmark builds what it reads in its setup, so runs are independent. docs/BENCHMARKS.md has a
 * run's figures.
 */
package io.strata.bench.jmh;
