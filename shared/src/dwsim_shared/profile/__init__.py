"""``dwsim profile``: generation rules from the statistics a database already keeps."""

from dwsim_shared.profile.build import ProfileResult, profile_database
from dwsim_shared.profile.connection import ProfileError

__all__ = ["ProfileError", "ProfileResult", "profile_database"]
