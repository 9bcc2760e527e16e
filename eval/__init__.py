"""Gold-set evaluation of retrieval and answers (``assistant eval``)."""
