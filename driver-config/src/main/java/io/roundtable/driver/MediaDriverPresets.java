package io.roundtable.driver;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.exceptions.ConfigurationException;
import io.aeron.logbuffer.LogBufferDescriptor;
import io.aeron.protocol.DataHeaderFlyweight;
import org.agrona.BitUtil;

import java.io.File;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Two starting points for an embedded Aeron {@link MediaDriver}, each adjustable before it becomes a
 * {@link MediaDriver.Context}:
 * <ul>
 *     <li>{@link #shared()}: one driver thread (SHARED), 1 MiB sparse terms. For small machines, tests and the local
 *     cluster: with 2 cores, three driver threads would compete with the replica's own thread.</li>
 *     <li>{@link #dedicated()}: conductor, sender and receiver on their own threads (DEDICATED), 16 MiB pre-touched
 *     terms. For production hosts with cores to spare.</li>
 * </ul>
 * Both put the Aeron directory in a fresh {@code /dev/shm/roundtable-<pid>-<random>} that the driver deletes on
 * start and on close, so concurrent tests and replicas on one host never share or leak a directory. Set
 * {@link Builder#aeronDirectoryName(String)} to share one driver between processes instead.
 */
public final class MediaDriverPresets
{
    /** Aeron's smallest term; smaller is rejected by the driver. */
    public static final int MIN_TERM_LENGTH = LogBufferDescriptor.TERM_MIN_LENGTH;

    /** Aeron's largest term (1 GiB). */
    public static final int MAX_TERM_LENGTH = LogBufferDescriptor.TERM_MAX_LENGTH;

    /**
     * Terms of the SHARED preset. A log is 3 terms per publication and per image, so with 1 MiB terms a 3-replica
     * cluster on one host stays in the tens of MiB of /dev/shm instead of the ~1 GiB Aeron's defaults would take.
     */
    public static final int SHARED_TERM_LENGTH = 1024 * 1024;

    /** Terms of the DEDICATED preset: Aeron's own default, which leaves room for bursts at full network rate. */
    public static final int DEDICATED_TERM_LENGTH = 16 * 1024 * 1024;

    /** Aeron's default MTU: a 1500-byte Ethernet frame less IP/UDP headers, rounded down to 32-byte frames. */
    public static final int DEFAULT_MTU_LENGTH = 1408;

    /** Aeron frames are aligned to this; an MTU must be a multiple of it. */
    public static final int FRAME_ALIGNMENT = 32;

    /** The largest UDP payload Aeron will send. */
    public static final int MAX_MTU_LENGTH = 65504;

    public static final String DIRECTORY_PREFIX = "roundtable-";

    private static final String SHM_DIR = "/dev/shm";

    private MediaDriverPresets()
    {
    }

    /** One SHARED driver thread, {@link #SHARED_TERM_LENGTH} sparse terms, BACKOFF idling, a fresh directory. */
    public static Builder shared()
    {
        return new Builder(ThreadingMode.SHARED, SHARED_TERM_LENGTH, true);
    }

    /** DEDICATED driver threads, {@link #DEDICATED_TERM_LENGTH} pre-touched terms, BACKOFF idling, a fresh dir. */
    public static Builder dedicated()
    {
        return new Builder(ThreadingMode.DEDICATED, DEDICATED_TERM_LENGTH, false);
    }

    /**
     * A directory name no other process or test on this host uses: {@code /dev/shm/roundtable-<pid>-<random>}, or
     * the same under {@code java.io.tmpdir} where there is no {@code /dev/shm} (macOS), which is what Aeron does too.
     */
    public static String uniqueAeronDirectoryName()
    {
        final File shm = new File(SHM_DIR);
        final String parent = shm.isDirectory() ? SHM_DIR : System.getProperty("java.io.tmpdir");
        final long pid = ProcessHandle.current().pid();
        final String random = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);

        return new File(parent, DIRECTORY_PREFIX + pid + "-" + random).getAbsolutePath();
    }

    /**
     * @throws ConfigurationException saying what is wrong and a valid value if {@code termLength} is not a power of
     *                                two in [{@link #MIN_TERM_LENGTH}, {@link #MAX_TERM_LENGTH}].
     */
    public static void validateTermLength(final int termLength)
    {
        if (termLength < MIN_TERM_LENGTH)
        {
            throw new ConfigurationException(
                "termLength " + termLength + " is below Aeron's minimum of " + MIN_TERM_LENGTH +
                " (64 KiB): use " + MIN_TERM_LENGTH + " or a larger power of two, e.g. " + SHARED_TERM_LENGTH +
                " (1 MiB)");
        }
        if (termLength > MAX_TERM_LENGTH)
        {
            throw new ConfigurationException(
                "termLength " + termLength + " is above Aeron's maximum of " + MAX_TERM_LENGTH + " (1 GiB)");
        }
        if (!BitUtil.isPowerOfTwo(termLength))
        {
            final int below = Integer.highestOneBit(termLength);
            throw new ConfigurationException(
                "termLength " + termLength + " is not a power of two: use " + below + " or " + (below << 1));
        }
    }

    /**
     * Aeron checks the last rule only when a publication is added ("MTU greater than max message length for term
     * length"), i.e. long after start-up; checking it here fails where the settings are made.
     *
     * @throws ConfigurationException if {@code mtuLength} is not a multiple of {@link #FRAME_ALIGNMENT} in
     *                                ({@code data header length}, {@link #MAX_MTU_LENGTH}], or if one frame could
     *                                exceed the largest message a term of {@code termLength} holds (a term / 8).
     */
    public static void validateMtuLength(final int mtuLength, final int termLength)
    {
        if (mtuLength <= DataHeaderFlyweight.HEADER_LENGTH || mtuLength > MAX_MTU_LENGTH)
        {
            throw new ConfigurationException(
                "mtuLength " + mtuLength + " must be greater than the " + DataHeaderFlyweight.HEADER_LENGTH +
                "-byte frame header and at most " + MAX_MTU_LENGTH + ": use " + DEFAULT_MTU_LENGTH +
                " for a standard 1500-byte Ethernet MTU");
        }
        if (mtuLength % FRAME_ALIGNMENT != 0)
        {
            final int below = mtuLength - (mtuLength % FRAME_ALIGNMENT);
            throw new ConfigurationException(
                "mtuLength " + mtuLength + " is not a multiple of " + FRAME_ALIGNMENT + ": use " + below);
        }
        final int maxMessageLength = termLength / 8;
        if (mtuLength > maxMessageLength)
        {
            throw new ConfigurationException(
                "mtuLength " + mtuLength + " exceeds the largest message a " + termLength + "-byte term holds (" +
                maxMessageLength + " = termLength / 8): lower mtuLength or raise termLength to at least " +
                BitUtil.findNextPositivePowerOfTwo(mtuLength * 8));
        }
    }

    /**
     * Settings of one preset, validated as they are set (so the stack trace points at the caller) and once more,
     * across settings, in {@link #build()}.
     */
    public static final class Builder
    {
        private final ThreadingMode threadingMode;
        private final boolean sparseTerms;
        private int termLength;
        private int mtuLength = DEFAULT_MTU_LENGTH;
        private IdleStrategyChoice idleStrategy = IdleStrategyChoice.BACKOFF;
        private String aeronDirectoryName;

        private Builder(final ThreadingMode threadingMode, final int termLength, final boolean sparseTerms)
        {
            this.threadingMode = threadingMode;
            this.termLength = termLength;
            this.sparseTerms = sparseTerms;
        }

        /** Term length of every UDP and IPC publication: a power of two in [64 KiB, 1 GiB]. */
        public Builder termLength(final int termLength)
        {
            validateTermLength(termLength);
            this.termLength = termLength;
            return this;
        }

        /** MTU of UDP and IPC publications: a multiple of 32 in (32, 65504], at most termLength / 8. */
        public Builder mtuLength(final int mtuLength)
        {
            validateMtuLength(mtuLength, termLength);
            this.mtuLength = mtuLength;
            return this;
        }

        /** Idle strategy of every driver thread (the one SHARED thread, or conductor, sender and receiver). */
        public Builder idleStrategy(final IdleStrategyChoice idleStrategy)
        {
            this.idleStrategy = Objects.requireNonNull(idleStrategy, "idleStrategy");
            return this;
        }

        /** Use this directory instead of a fresh unique one, e.g. to share a driver with a separate process. */
        public Builder aeronDirectoryName(final String aeronDirectoryName)
        {
            if (null == aeronDirectoryName || aeronDirectoryName.isBlank())
            {
                throw new ConfigurationException(
                    "aeronDirectoryName must be a path, e.g. " + uniqueAeronDirectoryName());
            }
            this.aeronDirectoryName = aeronDirectoryName;
            return this;
        }

        public ThreadingMode threadingMode()
        {
            return threadingMode;
        }

        public int termLength()
        {
            return termLength;
        }

        public int mtuLength()
        {
            return mtuLength;
        }

        public IdleStrategyChoice idleStrategy()
        {
            return idleStrategy;
        }

        /**
         * A new, not yet concluded context; pass it to {@link MediaDriver#launch(MediaDriver.Context)} or
         * {@link MediaDriver#launchEmbedded(MediaDriver.Context)}. Each call picks a fresh directory unless one was
         * set, and gives every driver thread its own idle strategy instance.
         */
        public MediaDriver.Context build()
        {
            // termLength may have been lowered after mtuLength was set.
            validateMtuLength(mtuLength, termLength);

            final MediaDriver.Context context = new MediaDriver.Context()
                .aeronDirectoryName(null != aeronDirectoryName ? aeronDirectoryName : uniqueAeronDirectoryName())
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .threadingMode(threadingMode)
                .publicationTermBufferLength(termLength)
                .ipcTermBufferLength(termLength)
                .mtuLength(mtuLength)
                .ipcMtuLength(mtuLength)
                // Sparse terms commit /dev/shm pages only when written: many small logs fit a small machine.
                // Pre-touched terms avoid page faults on the hot path, which is what a dedicated host wants.
                .termBufferSparseFile(sparseTerms);

            if (ThreadingMode.SHARED == threadingMode)
            {
                context.sharedIdleStrategy(idleStrategy.newIdleStrategy());
            }
            else
            {
                context
                    .conductorIdleStrategy(idleStrategy.newIdleStrategy())
                    .senderIdleStrategy(idleStrategy.newIdleStrategy())
                    .receiverIdleStrategy(idleStrategy.newIdleStrategy());
            }

            return context;
        }
    }
}
