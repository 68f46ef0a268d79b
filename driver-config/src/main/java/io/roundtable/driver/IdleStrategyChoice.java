package io.roundtable.driver;

import io.aeron.exceptions.ConfigurationException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.Arrays;
import java.util.Locale;

/**
 * How an idle agent thread (driver or replica) waits for work, named so it can be chosen from a command line or a
 * property. The trade is latency against CPU: on a machine with fewer cores than busy threads, spinning threads
 * steal the core the thread with work needs, so only choose BUSY_SPIN with a core per spinning thread.
 */
public enum IdleStrategyChoice
{
    /** Never gives up the core: lowest latency, one full core per thread. Dedicated hardware only. */
    BUSY_SPIN,

    /** {@code Thread.yield()}: low latency, still ~100% CPU, but lets other runnable threads in. */
    YIELDING,

    /** Spin, then yield, then park with exponential backoff up to 1 ms: the default, good on shared machines. */
    BACKOFF,

    /** Sleep 1 ms per idle cycle: near-zero CPU for idle demos and CI, at ~1 ms added latency. */
    SLEEPING;

    /**
     * A fresh strategy for one thread. Always a new instance, because BackoffIdleStrategy keeps per-thread state
     * (its spin/yield/park counters) and must not be shared between agents.
     */
    public IdleStrategy newIdleStrategy()
    {
        switch (this)
        {
            case BUSY_SPIN:
                return new BusySpinIdleStrategy();
            case YIELDING:
                return new YieldingIdleStrategy();
            case SLEEPING:
                return new SleepingMillisIdleStrategy(1);
            case BACKOFF:
            default:
                return new BackoffIdleStrategy(
                    BackoffIdleStrategy.DEFAULT_MAX_SPINS,
                    BackoffIdleStrategy.DEFAULT_MAX_YIELDS,
                    BackoffIdleStrategy.DEFAULT_MIN_PARK_PERIOD_NS,
                    BackoffIdleStrategy.DEFAULT_MAX_PARK_PERIOD_NS);
        }
    }

    /**
     * Parses a name as given on a command line or in a property, ignoring case and accepting '-' for '_'.
     *
     * @throws ConfigurationException naming the valid choices if {@code name} is not one of them.
     */
    public static IdleStrategyChoice fromName(final String name)
    {
        if (null != name)
        {
            final String normalised = name.trim().replace('-', '_').toUpperCase(Locale.ROOT);
            for (final IdleStrategyChoice choice : values())
            {
                if (choice.name().equals(normalised))
                {
                    return choice;
                }
            }
        }

        throw new ConfigurationException(
            "unknown idle strategy '" + name + "': use one of " + Arrays.toString(values()));
    }
}
