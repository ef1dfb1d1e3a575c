user:
