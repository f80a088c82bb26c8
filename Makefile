# Two commands for people (see README): `make run` and `make test`.
# Everything they need is set up on first use by runtime/setup.sh.
.PHONY: run test odoo-core-tests bench setup clean-db

run:
	@runtime/do.sh run

test:
	@runtime/do.sh test

odoo-core-tests:
	@runtime/do.sh core-tests

# options of the benchmark: make bench ARGS='--lines 1000 --only ours' (see README)
bench:
	@runtime/do.sh bench $(ARGS)

setup:
	@runtime/do.sh setup

# Drops the demo database so that the next `make run` recreates it.
clean-db: setup
	@. .build/env.sh && CONF=$$CONF CACHE=$$CACHE $$PY runtime/manage.py drop mrp_job_order_demo
