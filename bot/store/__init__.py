"""The store: drafts awaiting confirmation, launched campaigns (the only record CCC cannot give), audit events."""
