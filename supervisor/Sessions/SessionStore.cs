using Google.Protobuf;
using Microsoft.Data.Sqlite;
using Sandbox.Api.V1;
using Sandbox.Api.Worker.V1;
using Sandbox.Supervisor.Hosting;

namespace Sandbox.Supervisor.Sessions;

/// <summary>
/// The sessions' durable record: an SQLite database (<c>sessions.db</c> in the state directory,
/// owner-only) holding each session's latest snapshot, its worker request, its adjustment and past
/// deaths, and its whole event log. Every change of a session is written before it is visible to
/// clients, so a supervisor killed at any point restarts with every session it had admitted, and
/// Watch replays the same sequence numbers across the restart.
/// </summary>
/// <remarks>
/// WAL journal with <c>synchronous=NORMAL</c>: a commit is durable against a process crash at once
/// and against a power loss from the next checkpoint on — what a session record needs, at tens of
/// microseconds per write instead of an fsync each.
/// </remarks>
internal sealed class SessionStore : IDisposable
{
    public const string FileName = "sessions.db";

    private const int SchemaVersion = 1;

    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;

    private SessionStore(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens (creating when missing) the store in <paramref name="directory"/>.</summary>
    /// <exception cref="StartupException">The file is not a session store this version can read.</exception>
    public static SessionStore Open(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            // Created owner-only before SQLite opens it; its -wal and -shm files copy these permissions.
            using var _ = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite });
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        try
        {
            connection.Open();
            var store = new SessionStore(connection);
            store.Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
            store.Migrate(path);
            return store;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new StartupException($"{path} is not a readable session store ({e.Message}); move it away to start with no sessions", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Writes the session's current state and the events that changed it, in one transaction.</summary>
    public void Save(Session snapshot, TranscodeRequest request, Adjustment? adjustment, IReadOnlyList<string> deaths, IReadOnlyList<SessionEvent> appended)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            using (var upsert = _connection.CreateCommand())
            {
                upsert.Transaction = transaction;
                upsert.CommandText = """
                    INSERT INTO sessions (id, created_at, finished, snapshot, request, adjustment, deaths)
                    VALUES ($id, $created, $finished, $snapshot, $request, $adjustment, $deaths)
                    ON CONFLICT (id) DO UPDATE SET finished = $finished, snapshot = $snapshot, adjustment = $adjustment, deaths = $deaths
                    """;
                upsert.Parameters.AddWithValue("$id", snapshot.Id);
                upsert.Parameters.AddWithValue("$created", snapshot.CreatedAt.ToDateTimeOffset().ToUnixTimeMilliseconds());
                upsert.Parameters.AddWithValue("$finished", SessionRecord.IsTerminal(snapshot.State));
                upsert.Parameters.AddWithValue("$snapshot", snapshot.ToByteArray());
                upsert.Parameters.AddWithValue("$request", request.ToByteArray());
                upsert.Parameters.AddWithValue("$adjustment", adjustment is null ? DBNull.Value : adjustment.ToByteArray());
                upsert.Parameters.AddWithValue("$deaths", string.Join(',', deaths));
                upsert.ExecuteNonQuery();
            }

            foreach (var sessionEvent in appended)
            {
                using var insert = _connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO events (session_id, sequence, event) VALUES ($id, $sequence, $event)";
                insert.Parameters.AddWithValue("$id", sessionEvent.SessionId);
                insert.Parameters.AddWithValue("$sequence", sessionEvent.Sequence);
                insert.Parameters.AddWithValue("$event", sessionEvent.ToByteArray());
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    /// <summary>Every stored session, oldest first, with its event log.</summary>
    public IReadOnlyList<StoredSession> LoadAll()
    {
        lock (_gate)
        {
            var events = new Dictionary<string, List<SessionEvent>>(StringComparer.Ordinal);
            using (var query = _connection.CreateCommand())
            {
                query.CommandText = "SELECT session_id, event FROM events ORDER BY session_id, sequence";
                using var reader = query.ExecuteReader();
                while (reader.Read())
                {
                    var id = reader.GetString(0);
                    if (!events.TryGetValue(id, out var log))
                    {
                        events[id] = log = [];
                    }

                    log.Add(SessionEvent.Parser.ParseFrom(reader.GetFieldValue<byte[]>(1)));
                }
            }

            var sessions = new List<StoredSession>();
            using (var query = _connection.CreateCommand())
            {
                query.CommandText = "SELECT id, snapshot, request, adjustment, deaths FROM sessions ORDER BY created_at, id";
                using var reader = query.ExecuteReader();
                while (reader.Read())
                {
                    var id = reader.GetString(0);
                    sessions.Add(new StoredSession(
                        Session.Parser.ParseFrom(reader.GetFieldValue<byte[]>(1)),
                        TranscodeRequest.Parser.ParseFrom(reader.GetFieldValue<byte[]>(2)),
                        reader.IsDBNull(3) ? null : Adjustment.Parser.ParseFrom(reader.GetFieldValue<byte[]>(3)),
                        reader.GetString(4).Split(',', StringSplitOptions.RemoveEmptyEntries),
                        events.GetValueOrDefault(id) ?? []));
                }
            }

            return sessions;
        }
    }

    /// <summary>Forgets a session and its events.</summary>
    public void Delete(string id)
    {
        lock (_gate)
        {
            using var delete = _connection.CreateCommand();
            delete.CommandText = "DELETE FROM sessions WHERE id = $id";
            delete.Parameters.AddWithValue("$id", id);
            delete.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }

    private void Migrate(string path)
    {
        using var version = _connection.CreateCommand();
        version.CommandText = "PRAGMA user_version";
        var found = Convert.ToInt32(version.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (found == SchemaVersion)
        {
            return;
        }

        if (found != 0)
        {
            throw new StartupException($"{path} has schema version {found}; this supervisor reads version {SchemaVersion}");
        }

        Execute($"""
            BEGIN;
            CREATE TABLE sessions (
                id TEXT PRIMARY KEY,
                created_at INTEGER NOT NULL,
                finished INTEGER NOT NULL,
                snapshot BLOB NOT NULL,
                request BLOB NOT NULL,
                adjustment BLOB,
                deaths TEXT NOT NULL);
            CREATE TABLE events (
                session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
                sequence INTEGER NOT NULL,
                event BLOB NOT NULL,
                PRIMARY KEY (session_id, sequence)) WITHOUT ROWID;
            PRAGMA user_version = {SchemaVersion};
            COMMIT;
            """);
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
