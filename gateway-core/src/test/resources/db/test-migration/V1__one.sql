-- test migration 1
CREATE TABLE t_one (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO t_one (id, name) VALUES (1, 'from v1');
