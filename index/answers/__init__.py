"""Answering members' questions from the archive: retrieval, candidate answers, learned models."""
