package procpool.broker;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.filter.DestinationMapEntry;
import org.apache.activemq.security.AuthenticationUser;
import org.apache.activemq.security.AuthorizationEntry;
import org.apache.activemq.security.AuthorizationPlugin;
import org.apache.activemq.security.DefaultAuthorizationMap;
import org.apache.activemq.security.SimpleAuthenticationPlugin;
import org.apache.activemq.security.TempDestinationAuthorizationEntry;

/**
 * Who may use the embedded broker. Every tcp connection must log in, always: without a configured service account
 * the broker uses a generated one ({@link #withGeneratedServiceAccount()}; the coordinator keeps it in its data
 * folder, see {@link LocalCredentials}). Only in-JVM {@code vm://} connections may come without a login, as the
 * service account ({@link InJvmAdmission}). Each account may use only its destinations: the service account
 * (coordinator and workers) all of {@code procpool.*}; the optional client account (submit, status) only sends jobs
 * and status requests and reads its own temporary reply queues.
 *
 * @param username       service account; empty: none configured (the broker then generates one)
 * @param password       its password
 * @param clientUsername client account; empty: none
 * @param clientPassword its password
 */
public record BrokerSecurity(String username, String password, String clientUsername, String clientPassword) {

    /** No account configured: a broker started with it makes up a service account of its own. */
    public static final BrokerSecurity NONE = new BrokerSecurity("", "", "", "");
    static final String SERVICE_GROUP = "procpool-service";
    static final String CLIENT_GROUP = "procpool-clients";

    public BrokerSecurity {
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        clientUsername = clientUsername == null ? "" : clientUsername;
        clientPassword = clientPassword == null ? "" : clientPassword;
        if (!username.isEmpty() && password.isEmpty()) {
            throw new IllegalArgumentException("procpool.broker.password must be set with procpool.broker.username");
        }
        if (!clientUsername.isEmpty() && (clientPassword.isEmpty() || username.isEmpty())) {
            throw new IllegalArgumentException("procpool.broker.client-username needs a client password"
                    + " and a service account (procpool.broker.username)");
        }
    }

    /** Whether a service account is set (configured or generated); a broker never runs without one. */
    public boolean enabled() {
        return !username.isEmpty();
    }

    /** These accounts, with a random service account ({@link LocalCredentials#newPassword()}) if none is set. */
    BrokerSecurity withGeneratedServiceAccount() {
        return enabled() ? this : new BrokerSecurity(BrokerLogin.DEFAULT_SERVICE_USERNAME,
                LocalCredentials.newPassword(), clientUsername, clientPassword);
    }

    /** The service account, for the broker owner's own connections and its workers. */
    public BrokerLogin serviceLogin(String source) {
        return new BrokerLogin(username, password, source);
    }

    /**
     * Refuses to expose a broker whose password nobody chose: listening on any address but loopback needs configured
     * credentials (a generated password is meant for the one machine it is kept on).
     *
     * @throws IllegalStateException with what to set
     */
    public void checkMayListenOn(String host) {
        if (!enabled() && !isLoopback(host)) {
            throw new IllegalStateException("refusing to listen on " + host + " without credentials: set "
                    + "procpool.broker.username and procpool.broker.password (or PROCPOOL_BROKER_USERNAME and "
                    + "PROCPOOL_BROKER_PASSWORD), or listen on 127.0.0.1");
        }
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The broker plugins for these accounts: authentication, authorization and in-JVM admission, in that order. */
    List<BrokerPlugin> plugins(List<String> serviceQueues, List<String> clientQueues) throws Exception {
        if (!enabled()) {
            throw new IllegalStateException("a broker needs a service account: see withGeneratedServiceAccount()");
        }
        List<AuthenticationUser> users = new ArrayList<>();
        users.add(new AuthenticationUser(username, password, SERVICE_GROUP));
        if (!clientUsername.isEmpty()) {
            users.add(new AuthenticationUser(clientUsername, clientPassword, CLIENT_GROUP));
        }
        SimpleAuthenticationPlugin authentication = new SimpleAuthenticationPlugin(users);
        authentication.setAnonymousAccessAllowed(false);

        String everyone = SERVICE_GROUP + "," + CLIENT_GROUP;
        List<DestinationMapEntry> entries = new ArrayList<>();
        for (String queue : serviceQueues) {
            entries.add(queueEntry(queue, SERVICE_GROUP, SERVICE_GROUP));
            entries.add(queueEntry("DLQ." + queue, SERVICE_GROUP, SERVICE_GROUP));
        }
        for (String queue : serviceQueues) {
            // the workers' state for the dashboard (WorkerBeacon): published and read by the service account only
            AuthorizationEntry beacons = new AuthorizationEntry();
            beacons.setTopic(queue + ".workers");
            beacons.setRead(SERVICE_GROUP);
            beacons.setWrite(SERVICE_GROUP);
            beacons.setAdmin(SERVICE_GROUP);
            entries.add(beacons);
        }
        for (String queue : clientQueues) {
            entries.add(queueEntry(queue, SERVICE_GROUP, everyone));
            entries.add(queueEntry("DLQ." + queue, SERVICE_GROUP, SERVICE_GROUP));
        }
        // every connection needs the advisory topics; the statistics and temp queues serve replies
        AuthorizationEntry advisories = new AuthorizationEntry();
        advisories.setTopic("ActiveMQ.Advisory.>");
        advisories.setRead(everyone);
        advisories.setWrite(everyone);
        advisories.setAdmin(everyone);
        entries.add(advisories);
        DefaultAuthorizationMap map = new DefaultAuthorizationMap(entries);
        TempDestinationAuthorizationEntry temporary = new TempDestinationAuthorizationEntry();
        temporary.setRead(everyone);
        temporary.setWrite(everyone);
        temporary.setAdmin(everyone);
        map.setTempDestinationAuthorizationEntry(temporary);
        // last, so that it runs before authentication and lets in only what comes over vm:// without a login
        return List.of(authentication, new AuthorizationPlugin(map), new InJvmAdmission(username, SERVICE_GROUP));
    }

    /** Never the passwords: this record may end up in logs and exception messages. */
    @Override
    public String toString() {
        return "BrokerSecurity[service account " + (enabled() ? username : "none") + ", client account "
                + (clientUsername.isEmpty() ? "none" : clientUsername) + "]";
    }

    private static AuthorizationEntry queueEntry(String queue, String readers, String writers) throws Exception {
        AuthorizationEntry entry = new AuthorizationEntry();
        entry.setQueue(queue);
        entry.setRead(readers);
        entry.setWrite(writers);
        entry.setAdmin(writers);
        return entry;
    }
}
