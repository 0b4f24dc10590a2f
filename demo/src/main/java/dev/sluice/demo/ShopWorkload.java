package dev.sluice.demo;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small shop (customers, orders, order_items) and a background workload of multi-row transactions: new orders
 * with their items, payments, shipments, cancellations and deletes. Every changed row carries {@code changed_ms},
 * the writer's wall-clock time, so the demo can show end-to-end lag on one clock.
 */
public final class ShopWorkload implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ShopWorkload.class);
    private static final String[] NAMES = {
        "Ada Lovelace",
        "Grace Hopper",
        "Søren Kierkegaard",
        "José Martí",
        "Zoë Ødegård",
        "Ελένη Παπαδοπούλου",
        "李小龍",
        "Ngozi Okonjo-Iweala",
        "Émile Zola",
        "Björk 🎵"
    };
    private static final String[] COUNTRIES = {"NZ", "DE", "FR", "BR", "JP", "NG", "IS", "GR"};

    private final Connection connection;
    private final int transactionsPerSecond;
    private final Random random;
    private final AtomicLong committed = new AtomicLong();
    private volatile boolean stopped;

    public ShopWorkload(Connection connection, int transactionsPerSecond, long seed) {
        this.connection = connection;
        this.transactionsPerSecond = transactionsPerSecond;
        this.random = new Random(seed);
    }

    public static void createSchema(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS shop CHARACTER SET utf8mb4");
            st.execute("CREATE TABLE IF NOT EXISTS shop.customers (id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, "
                    + "name VARCHAR(100) NOT NULL, country CHAR(2) CHARACTER SET latin1 NOT NULL, "
                    + "balance DECIMAL(12,2) NOT NULL DEFAULT 0, created_at DATETIME(6) NOT NULL, "
                    + "changed_ms BIGINT NOT NULL)");
            st.execute("CREATE TABLE IF NOT EXISTS shop.orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
                    + "customer_id BIGINT UNSIGNED NOT NULL, status ENUM('new','paid','shipped','cancelled') NOT NULL, "
                    + "total DECIMAL(12,2) NOT NULL, placed_at TIMESTAMP(3) NOT NULL, changed_ms BIGINT NOT NULL)");
            st.execute("CREATE TABLE IF NOT EXISTS shop.order_items (order_id BIGINT NOT NULL, line_no INT NOT NULL, "
                    + "sku VARCHAR(32) NOT NULL, qty SMALLINT UNSIGNED NOT NULL, price DECIMAL(10,2) NOT NULL, "
                    + "changed_ms BIGINT NOT NULL, PRIMARY KEY (order_id, line_no))");
        }
    }

    public long committedTransactions() {
        return committed.get();
    }

    public void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        long intervalNanos = 1_000_000_000L / Math.max(1, transactionsPerSecond);
        long next = System.nanoTime();
        try {
            connection.setAutoCommit(false);
            while (!stopped) {
                oneTransaction();
                connection.commit();
                committed.incrementAndGet();
                next += intervalNanos;
                long sleepNanos = next - System.nanoTime();
                if (sleepNanos > 0) {
                    Thread.sleep(sleepNanos / 1_000_000, (int) (sleepNanos % 1_000_000));
                }
            }
        } catch (SQLException e) {
            if (!stopped) {
                log.warn("Demo workload stopped: {}", e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void oneTransaction() throws SQLException {
        int dice = random.nextInt(100);
        if (dice < 50) {
            newOrder();
        } else if (dice < 80) {
            advanceOrder();
        } else if (dice < 95) {
            cancelOrder();
        } else {
            deleteOldestOrder();
        }
    }

    private void newOrder() throws SQLException {
        long customer = random.nextInt(10) == 0 || maxId("customers") == 0 ? newCustomer() : randomId("customers");
        int lines = 1 + random.nextInt(4);
        BigDecimal total = BigDecimal.ZERO;
        long orderId;
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO shop.orders (customer_id, status, total, "
                        + "placed_at, changed_ms) VALUES (?, 'new', 0, NOW(3), ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, customer);
            ps.setLong(2, System.currentTimeMillis());
            ps.executeUpdate();
            orderId = generatedKey(ps);
        }
        try (PreparedStatement ps =
                connection.prepareStatement("INSERT INTO shop.order_items VALUES (?, ?, ?, ?, ?, ?)")) {
            for (int line = 1; line <= lines; line++) {
                BigDecimal price = BigDecimal.valueOf(100 + random.nextInt(99_900), 2);
                int qty = 1 + random.nextInt(5);
                total = total.add(price.multiply(BigDecimal.valueOf(qty)));
                ps.setLong(1, orderId);
                ps.setInt(2, line);
                ps.setString(3, "SKU-" + (1000 + random.nextInt(9000)));
                ps.setInt(4, qty);
                ps.setBigDecimal(5, price);
                ps.setLong(6, System.currentTimeMillis());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        update(
                "UPDATE shop.orders SET total = ?, changed_ms = ? WHERE id = ?",
                total,
                System.currentTimeMillis(),
                orderId);
    }

    private long newCustomer() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO shop.customers (name, country, " + "created_at, changed_ms) VALUES (?, ?, NOW(6), ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, NAMES[random.nextInt(NAMES.length)]);
            ps.setString(2, COUNTRIES[random.nextInt(COUNTRIES.length)]);
            ps.setLong(3, System.currentTimeMillis());
            ps.executeUpdate();
            return generatedKey(ps);
        }
    }

    private void advanceOrder() throws SQLException {
        long order = randomId("orders");
        update(
                "UPDATE shop.orders SET status = IF(status = 'new', 'paid', 'shipped'), changed_ms = ? "
                        + "WHERE id = ? AND status IN ('new', 'paid')",
                System.currentTimeMillis(),
                order);
        update(
                "UPDATE shop.customers c JOIN shop.orders o ON o.customer_id = c.id SET c.balance = c.balance + o.total, "
                        + "c.changed_ms = ? WHERE o.id = ?",
                System.currentTimeMillis(),
                order);
    }

    private void cancelOrder() throws SQLException {
        long order = randomId("orders");
        update("DELETE FROM shop.order_items WHERE order_id = ? AND line_no > 1", order);
        update(
                "UPDATE shop.orders SET status = 'cancelled', changed_ms = ? WHERE id = ? AND status = 'new'",
                System.currentTimeMillis(),
                order);
    }

    private void deleteOldestOrder() throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT MIN(id) FROM shop.orders")) {
            if (rs.next() && rs.getLong(1) > 0) {
                long id = rs.getLong(1);
                update("DELETE FROM shop.order_items WHERE order_id = ?", id);
                update("DELETE FROM shop.orders WHERE id = ?", id);
            }
        }
    }

    private long randomId(String table) throws SQLException {
        long max = maxId(table);
        return max == 0 ? 0 : 1 + (long) (random.nextDouble() * max);
    }

    private long maxId(String table) throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(id), 0) FROM shop." + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void update(String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    private static long generatedKey(PreparedStatement ps) throws SQLException {
        try (ResultSet keys = ps.getGeneratedKeys()) {
            keys.next();
            return keys.getLong(1);
        }
    }
}
