"""The web admin's pages, one module per area: accounts (sign up, switch), trackers, members, API keys."""
