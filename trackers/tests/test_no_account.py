from django.contrib.auth import get_user_model


def test_a_user_in_no_account_gets_an_explanation(client, db):
    user = get_user_model().objects.create_user(username="staff", email="staff@nowmetrix.example", password="x")
    client.force_login(user)
    response = client.get("/trackers/")
    assert response.status_code == 403
    assert "You are not a member of any account" in response.content.decode()
