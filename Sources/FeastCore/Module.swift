// FeastCore: see ../../../shared/DESIGN.md (module table) for what this module owns.
