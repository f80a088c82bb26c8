# Two commands for people (see README): `make run` and `make test`.
# Everything they need is set up on first use by runtime/setup.sh.
.PHONY: run test odoo-core-tests bench setup clean-db lint readme

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

# The code checks OCA runs (.pre-commit-config.yaml), reporting only;
# `runtime/do.sh lint --fix` applies the automatic fixes.
lint:
	@runtime/do.sh lint

# static/description/index.html and the README's user part, from readme/*.md
readme:
	@runtime/do.sh readme

# Drops the demo database so that the next `make run` recreates it.
clean-db: setup
	@. .build/env.sh && CONF=$$CONF CACHE=$$CACHE $$PY runtime/manage.py drop mrp_job_order_demo
