"""Operations: starting, supervising and stopping the assistant's servers.

processes.py is the one process-supervision helper (own session, die with
the parent, stop the whole group), used by `make run` (bot/stack.py) and the
multi-instance set-up; layout.py describes that set-up's programs and renders
its configuration from templates/; cluster.py is `make run-cluster` (supervisord)
and `make cluster-status`; direct.py starts the same programs as plain children,
with fault methods, for the scale tests and the load benchmark."""
