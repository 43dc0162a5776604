def tracker_config_publish(tracker):
    pass
