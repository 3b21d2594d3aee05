package dev.recsuite.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.NameResolver;
import java.net.InetSocketAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;

class ReplicaListTest {

  @Test
  void parse_listOfHostPorts_keepsEveryAddressInOrder() {
    assertThat(ReplicaList.parse("10.0.0.1:50052, recall-b:7000,[::1]:9"))
        .containsExactly(
            InetSocketAddress.createUnresolved("10.0.0.1", 50052),
            InetSocketAddress.createUnresolved("recall-b", 7000),
            InetSocketAddress.createUnresolved("::1", 9));
  }

  @Test
  void parse_badAddress_failsNamingIt() {
    assertThatThrownBy(() -> ReplicaList.parse("a:1,b"))
        .hasMessage("\"a:1,b\" (expected: host:port,host:port with ports 1..65535; bad: \"b\")");
    assertThatThrownBy(() -> ReplicaList.parse("a:1,:2")).hasMessageEndingWith("bad: \":2\")");
    assertThatThrownBy(() -> ReplicaList.parse("a:1,b:0")).hasMessageEndingWith("bad: \"b:0\")");
    assertThatThrownBy(() -> ReplicaList.parse("a:1,::1:5")).hasMessageEndingWith("bad: \"::1:5\")");
    assertThatThrownBy(() -> ReplicaList.parse("a:1,")).hasMessageEndingWith("bad: \"\")");
  }

  @Test
  void grpcTarget_listBecomesAStaticTarget_othersStayAsTheyAre() {
    assertThat(ReplicaList.grpcTarget("127.0.0.1:1,127.0.0.1:2")).isEqualTo("static:///127.0.0.1:1,127.0.0.1:2");
    assertThat(ReplicaList.grpcTarget("127.0.0.1:1")).isEqualTo("127.0.0.1:1");
    assertThat(ReplicaList.grpcTarget("dns:///recall:50052")).isEqualTo("dns:///recall:50052");
  }

  @Test
  void staticResolver_resolvesTheTargetWrittenByGrpcTarget() {
    StaticNameResolverProvider provider = new StaticNameResolverProvider();

    NameResolver resolver =
        provider.newNameResolver(URI.create(ReplicaList.grpcTarget("127.0.0.1:1,[::1]:2")), null);

    assertThat(resolver).isNotNull();
    assertThat(resolver.getServiceAuthority()).isEqualTo("127.0.0.1:1");
    assertThat(provider.newNameResolver(URI.create("dns:///x:1"), null)).isNull();
  }
}
