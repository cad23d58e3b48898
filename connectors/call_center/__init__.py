"""Call center: Asterisk CDR, queue_log and IVR survey files."""
