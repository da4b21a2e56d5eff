package dev.dlq.postgres.testing;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayDeque;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A small connection pool for tests, so that a test's many short calls do not each start a
 * server process. At most {@code max} connections are open; up to {@code idle} are kept when
 * returned. A returned connection is rolled back and reset to auto-commit. Thread-safe.
 */
public final class TestPool implements DataSource, AutoCloseable {
  private final String url;
  private final Properties props;
  private final Semaphore permits;
  private final int idle;
  private final ArrayDeque<Connection> free = new ArrayDeque<>();
  private volatile boolean closed;

  public TestPool(String url, String user, String password, int max, int idle) {
    this.url = url;
    this.props = new Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    this.permits = new Semaphore(max, true);
    this.idle = idle;
  }

  @Override
  public Connection getConnection() throws SQLException {
    if (closed) {
      throw new SQLException("test pool is closed");
    }
    try {
      if (!permits.tryAcquire(60, TimeUnit.SECONDS)) {
        throw new SQLException("test pool: no connection free within 60 s (a test leaks connections?)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for a connection", e);
    }
    try {
      Connection real;
      synchronized (free) {
        real = free.pollFirst();
      }
      if (real == null || real.isClosed()) {
        real = DriverManager.getConnection(url, props);
      }
      return wrap(real);
    } catch (SQLException | RuntimeException e) {
      permits.release();
      throw e;
    }
  }

  private Connection wrap(Connection real) {
    InvocationHandler h = new InvocationHandler() {
      private boolean done;

      @Override
      public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
        String name = m.getName();
        if (name.equals("close")) {
          if (!done) {
            done = true;
            giveBack(real);
          }
          return null;
        }
        if (name.equals("isClosed")) {
          return done || real.isClosed();
        }
        if (name.equals("unwrap") || name.equals("isWrapperFor")) {
          Class<?> type = (Class<?>) args[0];
          if (type.isInstance(real)) {
            return name.equals("unwrap") ? real : true;
          }
        }
        if (name.equals("equals")) {
          return proxy == args[0];
        }
        if (name.equals("hashCode")) {
          return System.identityHashCode(proxy);
        }
        if (done) {
          throw new SQLException("connection was returned to the pool");
        }
        try {
          return m.invoke(real, args);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      }
    };
    return (Connection) Proxy.newProxyInstance(TestPool.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
  }

  private void giveBack(Connection real) {
    try {
      boolean keep = !closed && !real.isClosed();
      if (keep) {
        try {
          if (!real.getAutoCommit()) {
            real.rollback();
            real.setAutoCommit(true);
          }
        } catch (SQLException e) {
          keep = false;
        }
      }
      synchronized (free) {
        if (keep && free.size() < idle) {
          free.addFirst(real);
          real = null;
        }
      }
      if (real != null) {
        real.close();
      }
    } catch (SQLException e) {
      // a broken connection is simply dropped
    } finally {
      permits.release();
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (free) {
      for (Connection c : free) {
        try {
          c.close();
        } catch (SQLException e) {
          // closing anyway
        }
      }
      free.clear();
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("the test pool connects as its configured user");
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return false;
  }
}
