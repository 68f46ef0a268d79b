package io.roundtable.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code timeline-<label>.csv} per run that recorded one: per latency bucket its start, commands answered, p50, p99
 * and max latency, and the messages per command of the second it falls in.
 */
final class TimelineFiles
{
    static final String HEADER = "bucket_start_ms,commands,p50_ms,p99_ms,max_ms,messages_per_command";

    private TimelineFiles()
    {
    }

    static String fileName(final RunResult run)
    {
        return "timeline-" + HgrmFiles.safe(run.label()) + ".csv";
    }

    static void write(final Path folder, final RunResult run) throws IOException
    {
        final Timeline timeline = run.timeline();
        if (null == timeline)
        {
            return;
        }
        final StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < timeline.commands().length; i++)
        {
            final double startMs = i * timeline.bucketMs();
            final int second = (int)(startMs / 1000);
            final double[] perSecond = timeline.messagesPerCommand();
            out.append(Decimal.format(startMs, 0)).append(',')
                .append(timeline.commands()[i]).append(',')
                .append(Decimal.format(timeline.p50Ms()[i], 3)).append(',')
                .append(Decimal.format(timeline.p99Ms()[i], 3)).append(',')
                .append(Decimal.format(timeline.maxMs()[i], 3)).append(',')
                .append(second < perSecond.length ? Decimal.format(perSecond[second], 2) : "").append('\n');
        }
        Files.writeString(folder.resolve(fileName(run)), out.toString(), StandardCharsets.UTF_8);
    }
}
