package io.strata.iterator;

import java.util.function.Function;

/**
 * Iterates the entries of many blocks through an index: the index iterator yields, for each
 * block, a value from which {@code openBlock} makes that block's iterator. Only one block is
 * open at a time; empty blocks are skipped, in either direction.
 */
public final class TwoLevelIterator implements InternalIterator {
    private final InternalIterator index;
    private final Function<byte[], InternalIterator> openBlock;
    private InternalIterator block;

    public TwoLevelIterator(InternalIterator index, Function<byte[], InternalIterator> openBlock) {
        this.index = index;
        this.openBlock = openBlock;
    }

    @Override
    public boolean valid() {
        return block != null && block.valid();
    }

    @Override
    public void seekToFirst() {
        index.seekToFirst();
        openCurrentBlock();
        if (block != null) {
            block.seekToFirst();
        }
        skipEmptyBlocks();
    }

    @Override
    public void seek(byte[] target) {
        // An index key is the last key of its block, so the first index entry >= target names
        // the only block that can hold the first key >= target.
        index.seek(target);
        openCurrentBlock();
        if (block != null) {
            block.seek(target);
        }
        skipEmptyBlocks();
    }

    @Override
    public void seekToLast() {
        index.seekToLast();
        openCurrentBlock();
        if (block != null) {
            block.seekToLast();
        }
        skipEmptyBlocksBackward();
    }

    @Override
    public void next() {
        block.next();
        skipEmptyBlocks();
    }

    @Override
    public void prev() {
        block.prev();
        skipEmptyBlocksBackward();
    }

    @Override
    public byte[] key() {
        return block.key();
    }

    @Override
    public byte[] value() {
        return block.value();
    }

    private void skipEmptyBlocks() {
        while (block != null && !block.valid()) {
            index.next();
            openCurrentBlock();
            if (block != null) {
                block.seekToFirst();
            }
        }
    }

    private void skipEmptyBlocksBackward() {
        while (block != null && !block.valid()) {
            index.prev();
            openCurrentBlock();
            if (block != null) {
                block.seekToLast();
            }
        }
    }

    private void openCurrentBlock() {
        closeBlock();
        if (index.valid()) {
            block = openBlock.apply(index.value());
        }
    }

    private void closeBlock() {
        if (block != null) {
            block.close();
            block = null;
        }
    }

    @Override
    public void close() {
        closeBlock();
        index.close();
    }
}
