"""The diary's rules, free of Qt: time classes, week arithmetic, validation and file formats."""
