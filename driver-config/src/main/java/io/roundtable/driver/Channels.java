package io.roundtable.driver;

import io.aeron.ChannelUriStringBuilder;
import io.aeron.CommonContext;
import io.aeron.exceptions.ConfigurationException;

/**
 * Aeron channel URIs for Roundtable's transports, built with {@link ChannelUriStringBuilder} rather than by string
 * concatenation so that the URI syntax stays Aeron's business.
 */
public final class Channels
{
    /** Same-driver transport (a replica and an embedded client, or tests). */
    public static final String IPC = CommonContext.IPC_CHANNEL;

    private Channels()
    {
    }

    /**
     * A unicast UDP channel to (publication) or on (subscription) {@code endpoint}.
     *
     * @param endpoint {@code host:port}, with an IPv6 host in brackets ({@code [::1]:40123}); port 0 lets a
     *                 subscription bind an ephemeral port (read it back with
     *                 {@code Subscription.resolvedEndpoint()}).
     * @throws ConfigurationException saying what is wrong if {@code endpoint} is not {@code host:port}.
     */
    public static String udp(final String endpoint)
    {
        validateEndpoint(endpoint);

        return new ChannelUriStringBuilder()
            .media(CommonContext.UDP_MEDIA)
            .endpoint(endpoint)
            .build();
    }

    /** As {@link #udp(String)}, bracketing an IPv6 {@code host} when needed. */
    public static String udp(final String host, final int port)
    {
        if (null == host || host.isBlank())
        {
            throw new ConfigurationException("host must not be empty, e.g. localhost or 10.0.0.1");
        }
        final boolean bareIpv6 = host.indexOf(':') >= 0 && !host.startsWith("[");

        return udp((bareIpv6 ? "[" + host + "]" : host) + ":" + port);
    }

    /**
     * Checks that {@code endpoint} is {@code host:port} without building a channel, e.g. to validate a cluster
     * topology before any driver runs.
     *
     * @throws ConfigurationException saying what is wrong and giving an example of the expected form.
     */
    public static void validateEndpoint(final String endpoint)
    {
        if (null == endpoint || endpoint.isBlank())
        {
            throw new ConfigurationException(
                "endpoint must be host:port, e.g. localhost:40123; got '" + endpoint + "'");
        }

        final int colon = endpoint.lastIndexOf(':');
        if (colon <= 0 || colon == endpoint.length() - 1)
        {
            throw new ConfigurationException(
                "endpoint must be host:port, e.g. localhost:40123 or [::1]:40123; got '" + endpoint + "'");
        }

        final String host = endpoint.substring(0, colon);
        if (host.indexOf(':') >= 0 && !(host.startsWith("[") && host.endsWith("]")))
        {
            throw new ConfigurationException(
                "an IPv6 host must be in brackets, e.g. [::1]:40123; got '" + endpoint + "'");
        }

        final String portText = endpoint.substring(colon + 1);
        final int port;
        try
        {
            port = Integer.parseInt(portText);
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigurationException("port of endpoint '" + endpoint + "' is not a number: '" + portText + "'");
        }
        if (port < 0 || port > 65535)
        {
            throw new ConfigurationException("port of endpoint '" + endpoint + "' must be in [0, 65535]");
        }
    }
}
