package io.roundtable.tools;

import io.roundtable.workload.KeyValueWorkload;
import io.roundtable.workload.ZipfKeys;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.time.Duration;

/** The key-value workload's knobs, shared by {@code cluster} and {@code load}. */
public final class WorkloadOptions
{
    @Option(names = "--clients", defaultValue = "0",
        description = "Closed-loop clients in total, spread over the replicas (default: 16 per replica).")
    int clients;

    @Option(names = "--conflict", defaultValue = "0.02",
        description = "Probability a command writes the shared hot key, else its client's own key, 0..1 (default: ${DEFAULT-VALUE}).")
    double conflict;

    @Option(names = "--zipf-keys", defaultValue = "0",
        description = "Draw every command's key from a Zipf distribution over this many shared keys instead of the hot-key model (--conflict is then ignored; default: off).")
    int zipfKeys;

    @Option(names = "--zipf-exponent", defaultValue = "1.0",
        description = "Skew of --zipf-keys: key k is drawn with probability proportional to 1/k^s, s >= 0 (default: ${DEFAULT-VALUE}).")
    double zipfExponent;

    @Option(names = "--keys-per-command", defaultValue = "1",
        description = "Keys each command declares, 1..64: the operation acts on the first, the others widen its conflicts (default: ${DEFAULT-VALUE}).")
    int keysPerCommand;

    @Option(names = "--reads", defaultValue = "0.0", description = "Fraction of GETs, 0..1 (default: ${DEFAULT-VALUE}).")
    double reads;

    @Option(names = "--value-bytes", defaultValue = "8", description = "Bytes per PUT value, at least 8 (default: ${DEFAULT-VALUE}).")
    int valueBytes;

    @Option(names = "--rate", defaultValue = "0",
        description = "Open loop: send this many commands per second, latency from each one's scheduled send time (default: closed loop).")
    long rate;

    @Option(names = "--load-threads", defaultValue = "1",
        description = "Threads generating the load, clients split between them (default: ${DEFAULT-VALUE}).")
    int loadThreads;

    @Option(names = "--warmup", defaultValue = "5s", converter = DurationConverter.class,
        description = "Load before measuring, not counted in the summary (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--timeout", defaultValue = "2s", converter = DurationConverter.class,
        description = "Client request timeout before it retries at the next replica (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the workload's random choices (default: ${DEFAULT-VALUE}).")
    long seed;

    void validate(final CommandSpec spec, final int replicas)
    {
        if (conflict < 0 || conflict > 1 || reads < 0 || reads > 1)
        {
            throw new ParameterException(spec.commandLine(), "--conflict and --reads are fractions in [0, 1]");
        }
        if (zipfKeys < 0 || zipfKeys > 10_000_000 || zipfExponent < 0 || Double.isNaN(zipfExponent))
        {
            throw new ParameterException(spec.commandLine(), "--zipf-keys must be in [0, 10000000] and " +
                "--zipf-exponent >= 0, got " + zipfKeys + " and " + zipfExponent);
        }
        if (keysPerCommand < 1 || keysPerCommand > 64)
        {
            throw new ParameterException(spec.commandLine(), "--keys-per-command must be in [1, 64], got " +
                keysPerCommand);
        }
        if (valueBytes < 8 || valueBytes > 16 * 1024)
        {
            throw new ParameterException(spec.commandLine(), "--value-bytes must be in [8, 16384], got " + valueBytes);
        }
        if (loadThreads < 1 || loadThreads > 16)
        {
            throw new ParameterException(spec.commandLine(), "--load-threads must be in [1, 16], got " + loadThreads);
        }
        if (rate < 0 || rate > 10_000_000)
        {
            throw new ParameterException(spec.commandLine(), "--rate must be in [1, 10000000] commands/s, got " + rate);
        }
        if (clients != 0 && (clients < replicas * loadThreads || clients > 1024 * replicas * loadThreads))
        {
            throw new ParameterException(spec.commandLine(), "--clients must be between the number of replicas " +
                "times --load-threads (" + replicas * loadThreads + ") and 1024 per replica and thread, got " + clients);
        }
    }

    /** How keys are chosen, for the workload line of a summary. */
    String keyModel()
    {
        return zipfKeys > 0 ? String.format("Zipf keys (%,d, s=%.2f)", zipfKeys, zipfExponent) :
            String.format("conflict %.1f%%", 100 * conflict);
    }

    /** Applies the key-choice options to one load thread's workload. */
    KeyValueWorkload shape(final KeyValueWorkload workload)
    {
        if (zipfKeys > 0)
        {
            workload.zipf(new ZipfKeys(zipfKeys, zipfExponent));
        }
        return workload.keysPerCommand(keysPerCommand);
    }

    /** Closed-loop clients, or (open loop) the most requests in flight at once. */
    int clientsFor(final int replicas)
    {
        if (clients != 0)
        {
            return clients;
        }
        return rate > 0 ? 64 * replicas : 16 * replicas;
    }
}
