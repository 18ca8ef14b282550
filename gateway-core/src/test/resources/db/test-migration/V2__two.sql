CREATE TABLE t_two (id INTEGER PRIMARY KEY);
INSERT INTO t_one (id, name) VALUES (2, 'from v2');
