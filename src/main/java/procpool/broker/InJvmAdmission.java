package procpool.broker;

import java.security.Principal;
import java.util.Set;

import org.apache.activemq.broker.Broker;
import org.apache.activemq.broker.BrokerFilter;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.ConnectionContext;
import org.apache.activemq.broker.TransportConnector;
import org.apache.activemq.command.ConnectionInfo;
import org.apache.activemq.jaas.GroupPrincipal;
import org.apache.activemq.security.SecurityContext;
import org.apache.activemq.transport.vm.VMTransportServer;

/**
 * Lets a connection over the in-JVM {@code vm://} transport in without a login, as the service account. Only code
 * running inside the broker's own JVM can open one, and that code could as well read the password from the heap,
 * so a login there protects nothing. Every other transport, tcp above all, goes on to the authentication plugin;
 * so does a vm connection that gives a user name. Installed after the authentication plugin, so that it runs first.
 * (ActiveMQ has no such switch: {@code SimpleAuthenticationPlugin}'s anonymous access is for every transport, and
 * {@code JaasDualAuthenticationPlugin} tells only SSL from non-SSL connections, the same way this tells vm.)
 */
final class InJvmAdmission implements BrokerPlugin {

    private final String serviceUsername;
    private final String serviceGroup;

    InJvmAdmission(String serviceUsername, String serviceGroup) {
        this.serviceUsername = serviceUsername;
        this.serviceGroup = serviceGroup;
    }

    @Override
    public Broker installPlugin(Broker next) {
        return new BrokerFilter(next) {
            @Override
            public void addConnection(ConnectionContext context, ConnectionInfo info) throws Exception {
                if (context.getSecurityContext() == null && info.getUserName() == null && overVm(context)) {
                    context.setSecurityContext(serviceContext());
                }
                super.addConnection(context, info);
            }
        };
    }

    private static boolean overVm(ConnectionContext context) throws Exception {
        return context.getConnector() instanceof TransportConnector connector
                && connector.getServer() instanceof VMTransportServer;
    }

    /** A fresh one per connection: the authorization plugin caches granted destinations in it. */
    private SecurityContext serviceContext() {
        Set<Principal> groups = Set.of(new GroupPrincipal(serviceGroup));
        return new SecurityContext(serviceUsername) {
            @Override
            public Set<Principal> getPrincipals() {
                return groups;
            }
        };
    }
}
