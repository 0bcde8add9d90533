package org.csemu.fabric.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * The daemon's logging, set up in code so that it does not depend on which {@code logback.xml} the classpath
 * happens to carry (the CLI's is for short commands): {@code <data>/logs/daemon.log} (rolled at 10 MB, 5 kept) and,
 * in the foreground, the terminal. Level from {@code -Dcsemu.log.level} (default INFO).
 */
public final class DaemonLogging {

    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{24} - %msg%n";

    private DaemonLogging() {
    }

    public static void configure(Path logFile, boolean console) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return; // another SLF4J backend: leave it to its own configuration
        }
        ctx.reset();
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getProperty("csemu.log.level", "INFO"), Level.INFO));
        ctx.getLogger("io.netty").setLevel(Level.WARN);

        RollingFileAppender<ch.qos.logback.classic.spi.ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(ctx);
        file.setName("file");
        file.setFile(logFile.toString());
        file.setAppend(true);
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(ctx);
        rolling.setParent(file);
        rolling.setFileNamePattern(logFile + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(5);
        rolling.start();
        SizeBasedTriggeringPolicy<ch.qos.logback.classic.spi.ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(ctx);
        trigger.setMaxFileSize(FileSize.valueOf("10MB"));
        trigger.start();
        file.setRollingPolicy(rolling);
        file.setTriggeringPolicy(trigger);
        file.setEncoder(encoder(ctx));
        file.start();
        root.addAppender(file);

        if (console) {
            ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> out = new ConsoleAppender<>();
            out.setContext(ctx);
            out.setName("console");
            out.setTarget("System.err");
            out.setEncoder(encoder(ctx));
            out.start();
            root.addAppender(out);
        }
    }

    /** Flushes and closes the appenders (last thing of a shutdown). */
    public static void stop() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
            ctx.stop();
        }
    }

    private static PatternLayoutEncoder encoder(LoggerContext ctx) {
        PatternLayoutEncoder e = new PatternLayoutEncoder();
        e.setContext(ctx);
        e.setPattern(PATTERN);
        e.start();
        return e;
    }
}
