"""aifactory: an Enterprise Scale AI Factory on Azure, as a Pulumi (Python) library and program."""

__version__ = "0.1.0"
