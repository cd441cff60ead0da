"""The certificate: when a reader has met the course's completion rule, a page they can print or
save as PDF with the name they type, kept on their device. A statement by the reader, not proof."""
