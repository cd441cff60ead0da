"""The trainer edition (`sabaq build --edition trainer`): module pages with the trainer's notes and
each quiz's answer key, and a workshop plan per course. The trainees' site never contains them."""
