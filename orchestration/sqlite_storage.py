"""Dagster's SQLite storage with one open connection per event-log database instead of one per event.

Dagster's `SqliteEventLogStorage` creates an SQLAlchemy engine, connects, commits and disposes of
it for every event it stores. A run of the nightly job stores about 640 events (step outputs, asset
materializations, asset checks and their planned events), and on the sample that was 1.5-2 s of the
job process's CPU (`py-spy` on a cold run: `_connect` 1.7 s). This storage keeps the engine of each
database it writes (the run's own file and the cross-run index) with one pooled connection, so an
event is one `INSERT` and one commit. The files, their schema and their location are Dagster's own:
`dagster dev` and Dagster's default storage read the same home.

`orchestration/instance.py` uses it for homes on the default SQLite storage; a home configured for
PostgreSQL (deploy/dagster-postgres.yaml) is left as it is.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._core.storage.sqlite_storage import DagsterSqliteStorage, _event_logs_directory
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import QueuePool

# The index database and the few most recent runs' files stay open; older ones are closed (a long-lived
# process such as a test worker runs the job many times, each run in a file of its own).
OPEN_DATABASES = 4


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """SqliteEventLogStorage whose `_connect` reuses one engine (one connection) per database file."""

    def __init__(self, base_dir: str, inst_data=None):
        super().__init__(base_dir, inst_data)
        self._engines: OrderedDict[str, Engine] = OrderedDict()

    def _engine(self, shard: str) -> Engine:
        engine = self._engines.get(shard)
        if engine is None:
            # One kept connection: the storage's lock lets one thread at a time use a database (creating
            # one briefly takes a second: `_initdb` inspects the schema while connected). pysqlite allows
            # a pooled connection in another thread (SQLAlchemy sets check_same_thread=False for pooled
            # file databases), e.g. Dagster's event watcher thread.
            engine = create_engine(self.conn_string_for_shard(shard), poolclass=QueuePool, pool_size=1,
                                   max_overflow=2, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            self._engines[shard] = engine
            while len(self._engines) > OPEN_DATABASES:
                self._engines.popitem(last=False)[1].dispose()
        self._engines.move_to_end(shard)
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            with self._engine(shard).connect() as conn:
                with conn.begin():
                    yield conn

    def _close_all(self) -> None:
        with self._db_lock:
            while self._engines:
                self._engines.popitem()[1].dispose()

    def wipe(self) -> None:
        self._close_all()  # wipe deletes the run files: nothing may hold them open
        super().wipe()

    def dispose(self) -> None:
        self._close_all()
        super().dispose()


class PooledSqliteStorage(DagsterSqliteStorage):
    """Dagster's default SQLite storage (same files) with the pooled event log above."""

    def __init__(self, base_dir: str, inst_data=None):
        super().__init__(base_dir, inst_data)
        self._event_log_storage = PooledSqliteEventLogStorage(_event_logs_directory(base_dir))

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> PooledSqliteStorage:
        return cls.from_local(inst_data=inst_data, **config_value)
