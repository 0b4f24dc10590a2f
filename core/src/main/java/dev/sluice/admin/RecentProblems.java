package dev.sluice.admin;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last warnings and errors the process logged, for the status page: a logback appender (declared in
 * logback.xml) that keeps the newest few in memory. It keeps the message an operator already sees on the console,
 * which by rule never holds a secret, and not the stack trace.
 */
public final class RecentProblems extends AppenderBase<ILoggingEvent> {
    private static final int KEPT = 20;
    private static final Deque<Map<String, Object>> PROBLEMS = new ArrayDeque<>();

    @Override
    protected void append(ILoggingEvent event) {
        if (!event.getLevel().isGreaterOrEqual(Level.WARN)) {
            return;
        }
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("time", event.getTimeStamp());
        problem.put("level", event.getLevel().toString());
        problem.put("logger", shortName(event.getLoggerName()));
        problem.put("message", event.getFormattedMessage());
        synchronized (PROBLEMS) {
            PROBLEMS.addLast(problem);
            while (PROBLEMS.size() > KEPT) {
                PROBLEMS.removeFirst();
            }
        }
    }

    /** Newest first. */
    static List<Map<String, Object>> newestFirst() {
        synchronized (PROBLEMS) {
            List<Map<String, Object>> list = new ArrayList<>(PROBLEMS);
            Collections.reverse(list);
            return list;
        }
    }

    private static String shortName(String logger) {
        return logger.substring(logger.lastIndexOf('.') + 1);
    }
}
