"""Plain helper modules of the job order models: the procedural part of
stock flows, costing and purchasing (functions on recordsets and
quantities, no model classes). The models import them; nothing registers
here."""
