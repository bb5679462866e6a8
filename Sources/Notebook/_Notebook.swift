// Notebook module marker; replaced as the module grows.
