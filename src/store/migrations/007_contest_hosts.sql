-- Who hosts which contest: the hosting process's id and a heartbeat, so a
-- contest that is still running is shown as running and a second host is
-- refused (a host silent for a while is taken as gone).
CREATE TABLE contest_hosts (
    contest_id INTEGER PRIMARY KEY REFERENCES contests (id),
    pid INTEGER NOT NULL,
    beat INTEGER NOT NULL
);
