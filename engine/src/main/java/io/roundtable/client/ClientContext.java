package io.roundtable.client;

import io.aeron.Aeron;
import io.aeron.exceptions.ConfigurationException;
import io.roundtable.driver.Channels;
import io.roundtable.runtime.ClientIds;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** Settings of a {@link RoundtableClient}, set fluently and checked by {@link #conclude()}. */
public final class ClientContext
{
    private Aeron aeron;
    private String[] replicaEndpoints;
    private int preferredReplica;
    private String responseEndpoint = "127.0.0.1:0";
    private int maxOutstanding = 64;
    private long requestTimeoutNs = TimeUnit.SECONDS.toNanos(1);
    private long connectRetryNs = TimeUnit.MILLISECONDS.toNanos(50);
    private long session = ThreadLocalRandom.current().nextLong(1, ClientIds.MAX_SESSION);
    private ResponseListener listener = (correlationId, result, offset, length) -> { };
    private NanoClock nanoClock = SystemNanoClock.INSTANCE;

    public ClientContext aeron(final Aeron aeron)
    {
        this.aeron = aeron;
        return this;
    }

    /** The client endpoints ({@code host:port}) of the replicas, indexed by replica id. */
    public ClientContext replicaEndpoints(final String... replicaEndpoints)
    {
        this.replicaEndpoints = replicaEndpoints.clone();
        return this;
    }

    /** The replica tried first (the nearest); on a timeout the client moves on to the next id. */
    public ClientContext preferredReplica(final int preferredReplica)
    {
        this.preferredReplica = preferredReplica;
        return this;
    }

    /** Where replicas send answers: {@code host:port} reachable from them; port 0 picks a free port. */
    public ClientContext responseEndpoint(final String responseEndpoint)
    {
        this.responseEndpoint = responseEndpoint;
        return this;
    }

    /** Requests in flight at once (each on its own lane); {@code offer} refuses more. */
    public ClientContext maxOutstanding(final int maxOutstanding)
    {
        this.maxOutstanding = maxOutstanding;
        return this;
    }

    /** How long to wait for an answer before re-sending the request to the next replica. */
    public ClientContext requestTimeoutNs(final long requestTimeoutNs)
    {
        this.requestTimeoutNs = requestTimeoutNs;
        return this;
    }

    /** A unique id for this client in (0, 2^53); random by default. Reusing one resumes its de-duplication. */
    public ClientContext session(final long session)
    {
        this.session = session;
        return this;
    }

    public ClientContext listener(final ResponseListener listener)
    {
        this.listener = listener;
        return this;
    }

    public ClientContext nanoClock(final NanoClock nanoClock)
    {
        this.nanoClock = nanoClock;
        return this;
    }

    /** @throws ConfigurationException saying which setting is wrong. */
    public ClientContext conclude()
    {
        if (null == aeron)
        {
            throw new ConfigurationException("aeron is not set: connect an Aeron client to a running media driver");
        }
        if (null == replicaEndpoints || replicaEndpoints.length == 0)
        {
            throw new ConfigurationException("replicaEndpoints is not set: the client host:port of every replica");
        }
        for (final String endpoint : replicaEndpoints)
        {
            Channels.udp(endpoint);
        }
        Channels.udp(responseEndpoint);
        if (preferredReplica < 0 || preferredReplica >= replicaEndpoints.length)
        {
            throw new ConfigurationException("preferredReplica " + preferredReplica + " is not a replica id in [0, " +
                replicaEndpoints.length + ")");
        }
        if (maxOutstanding < 1 || maxOutstanding > ClientIds.MAX_LANES)
        {
            throw new ConfigurationException("maxOutstanding must be in [1, " + ClientIds.MAX_LANES + "]: " +
                maxOutstanding);
        }
        if (session <= 0 || session >= ClientIds.MAX_SESSION)
        {
            throw new ConfigurationException("session must be in (0, 2^53): " + session);
        }
        if (requestTimeoutNs <= 0)
        {
            throw new ConfigurationException("requestTimeoutNs must be positive: " + requestTimeoutNs);
        }
        return this;
    }

    Aeron aeron()
    {
        return aeron;
    }

    String[] replicaEndpoints()
    {
        return replicaEndpoints;
    }

    int preferredReplica()
    {
        return preferredReplica;
    }

    String responseEndpoint()
    {
        return responseEndpoint;
    }

    int maxOutstanding()
    {
        return maxOutstanding;
    }

    long requestTimeoutNs()
    {
        return requestTimeoutNs;
    }

    long connectRetryNs()
    {
        return connectRetryNs;
    }

    public long session()
    {
        return session;
    }

    ResponseListener listener()
    {
        return listener;
    }

    NanoClock nanoClock()
    {
        return nanoClock;
    }
}
