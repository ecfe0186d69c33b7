package io.strata.testkit;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The logback appender of the tests' log ({@code test-logging.xml}): formats each event with its
 * encoder and hands it to {@link TestLog}. Properties: {@code encoder}, {@code file} (the whole
 * run's log; default {@code target/test.log}, relative to the working directory, which Surefire
 * sets to the module's).
 */
public final class TestLogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    /** Set while logback configures the appender, before start; read after. */
    private Encoder<ILoggingEvent> encoder;

    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    public void setFile(String file) {
        TestLog.fileName(Path.of(file));
    }

    @Override
    public void start() {
        if (encoder == null) {
            addError("no encoder for the appender named " + name);
            return;
        }
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        TestLog.append(new String(encoder.encode(event), StandardCharsets.UTF_8));
    }
}
