"""Videos that load nothing from their provider until the reader asks for them."""
