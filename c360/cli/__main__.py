"""`python -m c360.cli`."""

from c360.cli import console_main

console_main()
