package io.roundtable.driver;

import io.aeron.ChannelUri;
import io.aeron.exceptions.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ChannelsTest
{
    @Test
    void udpChannelNamesTheEndpoint()
    {
        final String channel = Channels.udp("10.0.0.7:40123");

        assertEquals("aeron:udp?endpoint=10.0.0.7:40123", channel);
        final ChannelUri uri = ChannelUri.parse(channel);
        assertEquals("udp", uri.media());
        assertEquals("10.0.0.7:40123", uri.get("endpoint"));
    }

    @Test
    void hostAndPortFormBracketsIpv6()
    {
        assertEquals("aeron:udp?endpoint=localhost:0", Channels.udp("localhost", 0));
        assertEquals("aeron:udp?endpoint=[::1]:40123", Channels.udp("::1", 40123));
        assertEquals("aeron:udp?endpoint=[::1]:40123", Channels.udp("[::1]", 40123));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "localhost", "localhost:", ":40123", "::1:40123", "host:port", "host:70000", "host:-1" })
    void malformedEndpointsAreRejectedWithTheExpectedForm(final String endpoint)
    {
        final ConfigurationException ex = assertThrows(ConfigurationException.class, () -> Channels.udp(endpoint));

        assertEquals(true, ex.getMessage().contains(endpoint), ex.getMessage());
    }

    @Test
    void streamIdsAreDistinct()
    {
        assertEquals(3, Set.of(StreamIds.PEER_PROTOCOL, StreamIds.CLIENT_INGRESS, StreamIds.CLIENT_EGRESS).size());
    }
}
